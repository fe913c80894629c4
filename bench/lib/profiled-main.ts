/**
 * Runs the Vigil server with the V8 sampling profiler on; SIGUSR2 writes the profile to
 * `$VIGIL_PROFILE_OUT` (default `vigil.cpuprofile`). Used by `bench:ingest --profile`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
process.on('SIGUSR2', () => {
  void session.post('Profiler.stop').then(({ profile }) => {
    writeFileSync(process.env.VIGIL_PROFILE_OUT ?? 'vigil.cpuprofile', JSON.stringify(profile));
    console.log('profile written');
  });
});
await import('../../packages/server/src/main.js');
