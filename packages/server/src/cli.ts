import { VigilError } from '@vigil/schema';
import { AuditLog } from './access/audit-log.js';
import { PasswordHasher } from './access/password-hasher.js';
import { isRole } from './access/roles.js';
import { UserService } from './access/user-service.js';
import { ConfigError, loadConfig } from './config.js';
import { runReportCommand } from './reports/report-command.js';
import { ReportService } from './reports/report-service.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/store.js';

const USAGE = `Usage: npm run vigil -- users <command> | report <kind> [options]
  users add <name> [--role viewer|operator|admin]   create a user; prints a generated password once
  users disable <name>                              disable a user and end their sessions
  users enable <name>                               enable a disabled user
  users reset <name>                                new random password (printed once); ends sessions
  users list                                        list users
  report <kind> [--from T] [--to T] [--format json|csv|pdf] [--table NAME] [--out FILE]
                      performance, error, user-experience, sla or optimization report to a file
                      (times: epoch ms or ISO 8601; default the last 7 days, PDF)
Reads the same configuration as the server (VIGIL_DATA_DIR, VIGIL_DATABASE_URL, VIGIL_CONFIG…).`;

/**
 * One CLI command against an open store; returns the lines to print. Every change is audited
 * (actor `cli`) before it is made: no audit record, no change.
 *
 * @example
 * const lines = await runUsersCommand(store, ['add', 'ada', '--role', 'operator']);
 */
export async function runUsersCommand(store: Store, args: string[], hasher = new PasswordHasher()): Promise<string[]> {
  const [command, name, ...rest] = args;
  const users = new UserService(store, hasher);
  const audit = new AuditLog(store);
  if (command === 'list') {
    return (await store.access.listUsers('name')).map(
      (u) => `${u.name}\t${u.role}${u.disabledAt === null ? '' : '\tdisabled'}`,
    );
  }
  if (name === undefined || !['add', 'disable', 'enable', 'reset'].includes(command ?? ''))
    throw new ConfigError('command', USAGE);
  const record = (result: string) =>
    audit.begin({
      actor: 'cli',
      role: 'admin',
      action: `cli users ${command}`,
      target: `user:${name}`,
      result,
      status: 0,
      ip: '',
      userAgent: 'vigil-cli',
    });
  const id = await record('pending');
  try {
    const lines = await apply(users, command as string, name, rest);
    await audit.settle(id, 200);
    return lines;
  } catch (e) {
    await audit.settle(id, e instanceof VigilError ? e.status : 500);
    throw e;
  }
}

async function apply(users: UserService, command: string, name: string, rest: string[]): Promise<string[]> {
  switch (command) {
    case 'add': {
      const roleIndex = rest.indexOf('--role');
      const role = roleIndex >= 0 ? rest[roleIndex + 1] : 'viewer';
      if (!isRole(role)) throw new ConfigError('--role', 'must be viewer, operator or admin');
      const { password } = await users.add(name, role);
      return [`Created ${name} (${role}). Password (shown once): ${password}`];
    }
    case 'disable':
      await users.setDisabled((await users.byName(name)).id, true);
      return [`Disabled ${name}; their sessions have ended.`];
    case 'enable':
      await users.setDisabled((await users.byName(name)).id, false);
      return [`Enabled ${name}.`];
    default: {
      const password = await users.resetPassword((await users.byName(name)).id);
      return [`New password for ${name} (shown once): ${password}. Their sessions have ended.`];
    }
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] !== 'users' && argv[0] !== 'report') {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig(process.env);
  const store = createStore({
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    dataDir: config.dataDir,
    durability: config.durability,
  });
  try {
    await store.migrate();
    const lines =
      argv[0] === 'report'
        ? await runReportCommand(
            new ReportService({
              store,
              sla: config.reports.sla,
              detailedMillis: config.retention.detailedDays * 86_400_000,
              now: Date.now,
            }),
            config.defaultProject,
            argv.slice(1),
            { now: Date.now(), stderr: process.stderr },
          )
        : await runUsersCommand(store, argv.slice(1));
    for (const line of lines) console.log(line);
  } finally {
    await store.close();
  }
}

// Run only as a program, not when a test imports runUsersCommand.
if (process.argv[1] !== undefined && /cli\.[tj]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof ConfigError) console.error(e.message.replace(/^Invalid configuration: \S+ /, ''));
    else if (e instanceof VigilError) console.error(`${e.code}: ${e.detail ?? e.message}`);
    else console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
