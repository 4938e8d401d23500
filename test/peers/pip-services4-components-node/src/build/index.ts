export { IFactory } from './IFactory';
export { Factory } from './Factory';
export { CompositeFactory } from './CompositeFactory';
export { CreateException } from './CreateException';
