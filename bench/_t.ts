import { templateRoute } from '@vigil/schema';
import { scrubText } from '../packages/server/src/ingest/scrubber.js';

const routes = Array.from({ length: 1000 }, (_, i) => `/api/courses/${i}/lessons/${i % 7}?q=${i}`);
let t = performance.now();
for (let i = 0; i < 200000; i++) templateRoute(routes[i % 1000]!);
console.log('templateRoute', (((performance.now() - t) * 1000) / 200000).toFixed(2), 'µs');
const strs = [
  'video_load',
  'course_view',
  's-1a2b3c4d5e',
  'memory.percent',
  "TypeError: Cannot read properties of undefined (reading 'id')",
  '/courses/:id',
  'api-1',
];
t = performance.now();
for (let i = 0; i < 700000; i++) scrubText(strs[i % 7]!);
console.log('scrubText', (((performance.now() - t) * 1000) / 700000).toFixed(2), 'µs');
