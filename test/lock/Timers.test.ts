import { assert } from 'chai';

import { Timers } from '../../src/lock/Timers';

suite('Timers', () => {
    test('a callback never runs before its deadline on the monotonic clock, also for fractional delays', async () => {
        const early: number[] = [];
        await Promise.all(Array.from({ length: 300 }, (_, i) => new Promise<void>(resolve => {
            const delay = 0.5 + (i * 0.37) % 7;
            const due = Timers.now() + delay;
            Timers.after(delay, () => {
                if (Timers.now() < due) early.push(due - Timers.now());
                resolve();
            }, true);
        })));
        assert.deepEqual(early, [], 'callbacks that ran before their deadline (ms early)');
    });

    test('a cancelled callback never runs', async () => {
        let ran = false;
        Timers.after(1, () => { ran = true; }, true).cancel();
        await new Promise(resolve => Timers.after(20, () => resolve(undefined), true));
        assert.isFalse(ran);
    });
});
