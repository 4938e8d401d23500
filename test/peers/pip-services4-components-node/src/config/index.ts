export { ConfigParams } from './ConfigParams';
export { IConfigurable } from './IConfigurable';
export { IReconfigurable } from './IReconfigurable';
