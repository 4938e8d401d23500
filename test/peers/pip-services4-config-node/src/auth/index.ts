export { CredentialParams } from './CredentialParams';
export { ICredentialStore } from './ICredentialStore';
export { MemoryCredentialStore } from './MemoryCredentialStore';
export { CredentialResolver } from './CredentialResolver';
