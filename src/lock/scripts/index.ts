/** @module lock */
import { RELEASE_SCRIPT } from './release';

export { acquire, AcquireCommands } from './acquire';
export { release, ReleaseCommands, RELEASE_LUA, RELEASE_SCRIPT } from './release';

/** Every script the lock registers on its client, under the names its steps call. */
export const LOCK_SCRIPTS = {
    lockRelease: RELEASE_SCRIPT
};
