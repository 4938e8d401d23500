import { assert } from 'chai';

import { Cleaner, Closer, Opener, References, Referencer } from '../../src';

class Recorder {
    public constructor(private readonly _log: string[], private readonly _name: string,
        private _opened = false) {}

    public isOpen(): boolean { return this._opened; }

    public async open(context: any): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, this._name == 'a' ? 20 : 1));
        this._opened = true;
        this._log.push('open ' + this._name + ' ' + context);
    }

    public async close(context: any): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, this._name == 'a' ? 20 : 1));
        this._opened = false;
        this._log.push('close ' + this._name);
    }

    public async clear(context: any): Promise<void> {
        this._log.push('clear ' + this._name);
    }

    public setReferences(references: any): void {
        this._log.push('set ' + this._name + ' ' + (references != null));
    }

    public unsetReferences(): void {
        this._log.push('unset ' + this._name);
    }
}

suite('Opener / Closer / Cleaner / Referencer', () => {
    test('isOpenOne is true without isOpen; isOpen checks all', () => {
        const log: string[] = [];
        assert.isTrue(Opener.isOpenOne({}));
        assert.isFalse(Opener.isOpenOne(new Recorder(log, 'a')));
        assert.isTrue(Opener.isOpen([{}, new Recorder(log, 'a', true)]));
        assert.isFalse(Opener.isOpen([{}, new Recorder(log, 'a', true), new Recorder(log, 'b')]));
        assert.isTrue(Opener.isOpen([]));
    });

    test('open and close are sequential in array order (close not reversed)', async () => {
        const log: string[] = [];
        const components = [new Recorder(log, 'a'), {}, new Recorder(log, 'b')];
        await Opener.open('ctx' as any, components);
        assert.isTrue(Opener.isOpen(components));
        await Closer.close(null, components);
        assert.isFalse(Opener.isOpen(components));
        assert.deepEqual(log, ['open a ctx', 'open b ctx', 'close a', 'close b']);
        await Opener.openOne(null, {});
        await Closer.closeOne(null, {});
    });

    test('clear calls clear where present, in order', async () => {
        const log: string[] = [];
        await Cleaner.clear(null, [new Recorder(log, 'a'), { clear: 'not a function' }, new Recorder(log, 'b')]);
        await Cleaner.clearOne(null, {});
        assert.deepEqual(log, ['clear a', 'clear b']);
    });

    test('setReferences / unsetReferences call the methods where present', () => {
        const log: string[] = [];
        const references = new References();
        const components = [new Recorder(log, 'a'), {}, new Recorder(log, 'b')];
        Referencer.setReferences(references, components);
        Referencer.setReferencesForOne(references, {});
        Referencer.unsetReferences(components);
        Referencer.unsetReferencesForOne({});
        assert.deepEqual(log, ['set a true', 'set b true', 'unset a', 'unset b']);
    });
});

/*
 * Contract edge cases (§1.10) → test:
 * - isOpenOne true without isOpen → 'isOpenOne is true without isOpen…'
 * - sequential, array order, Closer not reversed, async awaited → 'open and close are sequential…'
 * - only functions are called → 'clear calls clear…', 'setReferences / unsetReferences…'
 * Not reproduced: DefaultContextFactory / ContextInfo (not needed by the Redis library; not in the brief).
 */
