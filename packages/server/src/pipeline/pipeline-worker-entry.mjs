// Plain-JavaScript entry of the pipeline worker: it registers the TypeScript loader inside the
// worker thread (loader hooks are per thread), then loads the real worker module.
import { register } from 'tsx/esm/api';

register();
await import('./pipeline-worker.ts');
