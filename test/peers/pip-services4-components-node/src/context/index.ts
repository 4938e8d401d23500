export { IContext } from './IContext';
export { Context } from './Context';
export { ContextResolver } from './ContextResolver';
