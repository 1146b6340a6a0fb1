// Runs the storage conformance suite against the in-memory driver.
import { runBackendConformance } from '../conformance.js';
import { MemoryBackend } from './memory.js';

runBackendConformance('memory', async () => {
  const backend = new MemoryBackend();
  return { backend, cleanup: () => backend.close() };
});
