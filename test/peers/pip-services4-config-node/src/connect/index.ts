export { ConnectionParams } from './ConnectionParams';
export { IDiscovery } from './IDiscovery';
export { MemoryDiscovery } from './MemoryDiscovery';
export { ConnectionResolver } from './ConnectionResolver';
