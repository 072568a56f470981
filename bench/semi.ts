import v8 from 'node:v8';
v8.setFlagsFromString('--max-semi-space-size=64');
await import('./profile-import.js');
