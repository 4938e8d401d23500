import { assert } from 'chai';

import { AcquiredEvent, ResourceAttempt } from '../../chaos/ChaosEvents';
import { ChaosChecker } from '../../chaos/ChaosChecker';
import { ChaosRecording, PhaseRecord } from '../../chaos/ChaosController';
import { ChaosPlan, FaultName } from '../../chaos/ChaosPlan';

// The checker's categories on hand-made recordings, so each one is known to fire when it should
// (the short run itself may not produce every case).
suite('ChaosChecker', () => {
    const TTL = 600;

    function phase(index: number, fault: FaultName | 'baseline', at: number): PhaseRecord {
        return {
            index, fault, round: index == 0 ? 0 : 1, keys: [fault + ':k'], startedAt: at,
            injectedAt: fault == 'baseline' ? null : at + 100, answeredAt: fault == 'baseline' ? null : at + 200,
            recoveryFrom: fault == 'baseline' ? null : at + 200, endedAt: at + 10000, injected: true, note: ''
        };
    }

    function grant(key: string, token: string, fence: number, requestedAt: number, acquiredAt: number): AcquiredEvent & { pid: number } {
        return { type: 'acquired', worker: 'w', key, token, fence, requestedAt, acquiredAt, pid: 1 };
    }

    function recording(phases: PhaseRecord[], grants: (AcquiredEvent & { pid: number })[],
        writes: Omit<ResourceAttempt, 'seq' | 'worker' | 'held' | 'aborted'>[]): ChaosRecording {
        return {
            settings: { ...ChaosPlan.short(), ttl: TTL, steadyMs: 1000 },
            startedAt: 0, endedAt: 100000, phases, events: grants, incidents: [],
            history: writes.map((w, seq) => ({ ...w, seq, worker: 'w', held: true, aborted: false }))
        };
    }

    function write(key: string, token: string, fence: number, step: number, checkedAt: number, expiresAt: number, accepted: boolean) {
        return { key, token, fence, step, checkedAt, expiresAt, accepted, serverTime: (checkedAt + 1) * 1000 };
    }

    test('a fence not above one granted before is a regression, and its refused writes say so', () => {
        const k = 'kill9-empty:k';
        const result = ChaosChecker.check(recording([phase(0, 'baseline', 0), phase(1, 'kill9-empty', 1000)], [
            grant(k, 'a', 50, 1100, 1101),
            grant(k, 'b', 1, 1300, 1301),           // granted after the data loss: counter restarted
            grant(k, 'c', 2, 1302, 1303)            // still below 50
        ], [
            write(k, 'a', 50, 1, 1102, 1700, true),
            write(k, 'b', 1, 1, 1302, 1900, false),
            write(k, 'c', 2, 1, 1304, 1903, false)
        ]));
        const m = result.faults.find(f => f.fault == 'kill9-empty')!;
        assert.equal(m.fenceRegressions, 2);
        assert.equal(m.refusedRegression, 2);
        assert.equal(m.unsignalledLapses, 0);
        assert.equal(m.recoveryMs, 1301 - 1200);
        assert.isNull(m.writeRecoveryMs, 'no write accepted after the fault');
        assert.include(result.misses.join('\n'), 'kill9-empty: fence regressions 2');
    });

    test('a write checked past the lease\'s own expiry is an unsignalled lapse; the resource refuses it', () => {
        const k = 'freeze-holder:k';
        const result = ChaosChecker.check(recording([phase(0, 'baseline', 0), phase(1, 'freeze-holder', 1000)], [
            grant(k, 'paused', 10, 1100, 1101),
            grant(k, 'next', 11, 1800, 1801)
        ], [
            write(k, 'paused', 10, 1, 1102, 1700, true),
            write(k, 'next', 11, 1, 1802, 2400, true),
            write(k, 'paused', 10, 2, 2500, 1700, false),   // resumed after SIGCONT, lease still said held
            write(k, 'next', 11, 2, 1810, 2400, true)
        ]));
        const m = result.faults.find(f => f.fault == 'freeze-holder')!;
        assert.equal(m.unsignalledLapses, 1);
        assert.equal(m.refusedLapse, 1);
        assert.equal(m.overlapsAttempted, 2, 'the paused section and the next one interrupt each other');
        assert.equal(m.overlapsAccepted, 0, 'but the resource accepted only one of them');
        assert.equal(m.fenceRegressions, 0);
        assert.include(result.misses.join('\n'), 'freeze-holder: unsignalled lapses 1');
    });

    test('a takeover after the check is the check-then-write race; before it, a lock granted while the lease was valid', () => {
        const race = 'freeze-server:k';
        const taken = 'kill9-empty:k';
        const result = ChaosChecker.check(recording(
            [phase(0, 'baseline', 0), phase(1, 'freeze-server', 1000), phase(2, 'kill9-empty', 20000)], [
                grant(race, 'old', 20, 1100, 1101),
                grant(race, 'new', 21, 1650, 1702),       // after old's check at 1690
                grant(taken, 'held', 30, 20100, 20101),
                grant(taken, 'thief', 31, 20300, 20301)   // Redis lost 'held''s lock
            ], [
                write(race, 'new', 21, 1, 1703, 2300, true),
                write(race, 'old', 20, 2, 1690, 1701, false),
                write(taken, 'thief', 31, 1, 20302, 20900, true),
                write(taken, 'held', 30, 1, 20400, 20701, false)
            ]));
        const raced = result.faults.find(f => f.fault == 'freeze-server')!;
        assert.equal(raced.refusedRace, 1);
        assert.equal(raced.unsignalledLapses, 0);
        const lost = result.faults.find(f => f.fault == 'kill9-empty')!;
        assert.equal(lost.refusedTakenWhileValid, 1);
        assert.notInclude(result.misses.join('\n'), 'kill9-empty: writes refused because', 'expected after data loss');

        const elsewhere = ChaosChecker.misses([{ ...lost, fault: 'kill9-aof' }]);
        assert.include(elsewhere.join('\n'), 'kill9-aof: writes refused because the lock was granted while the lease was valid 1');
    });

    test('an accepted write below the highest accepted fence is out of order', () => {
        const k = 'pause-all:k';
        const result = ChaosChecker.check(recording([phase(0, 'baseline', 0), phase(1, 'pause-all', 1000)], [
            grant(k, 'a', 5, 1100, 1101),
            grant(k, 'b', 6, 1200, 1201)
        ], [
            write(k, 'a', 5, 1, 1102, 1700, true),
            write(k, 'b', 6, 1, 1202, 1800, true),
            write(k, 'a', 5, 2, 1203, 1700, true)      // a resource that got it wrong
        ]));
        const m = result.faults.find(f => f.fault == 'pause-all')!;
        assert.equal(m.outOfOrderAccepted, 1);
        assert.equal(m.overlapsAccepted, 1);
    });

    test('a clean phase meets every target', () => {
        const k = 'kill-normal:k';
        const result = ChaosChecker.check(recording([phase(0, 'baseline', 0), phase(1, 'kill-normal', 1000)], [
            grant('baseline:k', 'z', 1, 10, 11),
            grant(k, 'a', 5, 1050, 1051),
            grant(k, 'b', 6, 1250, 1260)
        ], [
            write('baseline:k', 'z', 1, 1, 12, 600, true),
            write(k, 'a', 5, 1, 1052, 1650, true),
            write(k, 'a', 5, 2, 1058, 1650, true),
            write(k, 'b', 6, 1, 1261, 1850, true)
        ]));
        assert.deepEqual(result.misses.filter(m => m.startsWith('kill-normal') || m.startsWith('baseline')), []);
        const m = result.faults.find(f => f.fault == 'kill-normal')!;
        assert.equal(m.recoveryMs, 60);
        assert.equal(m.acquisitionsBefore, 1);
        assert.equal(m.acquisitionsAfter, 1);
    });
});
