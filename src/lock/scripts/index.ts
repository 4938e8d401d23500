/** @module lock */
import { ACQUIRE_SCRIPT } from './acquire';
import { EXTEND_SCRIPT } from './extend';
import { LEAVE_SCRIPT } from './leave';
import { RELEASE_SCRIPT } from './release';
import { TOUCH_SCRIPT } from './touch';

export { acquire, AcquireCommands, AcquireResult, ACQUIRE_LUA, ACQUIRE_SCRIPT } from './acquire';
export { claim, ClaimCommands, ClaimResult } from './claim';
export { release, ReleaseCommands, ReleaseResult, RELEASE_LUA, RELEASE_SCRIPT } from './release';
export { extend, ExtendCommands, EXTEND_LUA, EXTEND_SCRIPT } from './extend';
export { leave, LeaveCommands, LEAVE_LUA, LEAVE_SCRIPT } from './leave';
export { touch, TouchCommands, TouchResult, TOUCH_LUA, TOUCH_SCRIPT } from './touch';

/** Every script the lock registers on its client, under the names its steps call. */
export const LOCK_SCRIPTS = {
    lockAcquire: ACQUIRE_SCRIPT,
    lockRelease: RELEASE_SCRIPT,
    lockExtend: EXTEND_SCRIPT,
    lockLeave: LEAVE_SCRIPT,
    lockTouch: TOUCH_SCRIPT
};
