export { IClosable } from './IClosable';
export { IOpenable } from './IOpenable';
export { ICleanable } from './ICleanable';
export { Opener } from './Opener';
export { Closer } from './Closer';
export { Cleaner } from './Cleaner';
