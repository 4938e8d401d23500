export { Descriptor } from './Descriptor';
export { IReferences } from './IReferences';
export { IReferenceable } from './IReferenceable';
export { IUnreferenceable } from './IUnreferenceable';
export { Reference } from './Reference';
export { References } from './References';
export { ReferenceException } from './ReferenceException';
export { Referencer } from './Referencer';
