export { DefaultLogicFactory } from './DefaultLogicFactory';
