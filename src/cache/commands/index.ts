/** @module cache */
export { read, ReadCommands } from './read';
export { write, WriteCommands } from './write';
export { remove, RemoveCommands } from './remove';
