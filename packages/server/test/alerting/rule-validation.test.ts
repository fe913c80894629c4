import { describe, expect, it } from 'vitest';
import { RuleInvalid, validateRule } from '../../src/alerting/alert-rule.js';
import { AlertingConfigInvalid, parseAlertingConfig } from '../../src/alerting/alerting-config.js';
import { defaultRules } from '../../src/alerting/default-rules.js';

const good = {
  id: 'cpu-high',
  name: 'CPU usage above 80 %',
  type: 'system',
  severity: 'high',
  query: { metric: 'gauge', name: 'cpu.percent', aggregation: 'avg' },
  comparator: '>',
  threshold: 80,
};
const ratio = { metric: 'api', aggregation: 'ratio', numerator: { statusClass: ['5xx'] } };

/** The field and message a bad rule is refused with. */
function refusal(raw: unknown): [string, string] {
  try {
    validateRule(raw);
  } catch (e) {
    if (e instanceof RuleInvalid) return [e.field, e.message];
    throw e;
  }
  throw new Error('the rule was accepted');
}

describe('rule validation', () => {
  it('fills the defaults of a minimal rule', () => {
    expect(validateRule(good)).toEqual({
      ...good,
      query: { metric: 'gauge', name: 'cpu.percent', aggregation: 'avg', windowMillis: 120_000 },
      resolveThreshold: 80,
      forMillis: 0,
      labels: {},
      enabled: true,
    });
    expect(validateRule({ ...good, query: ratio }).query).toEqual({
      ...ratio,
      windowMillis: 120_000,
      ratioOf: 'count',
    });
  });

  it('accepts every shipped default rule unchanged', () => {
    for (const rule of defaultRules()) expect(validateRule(rule)).toEqual(rule);
  });

  const cases: Array<[string, unknown, string, string]> = [
    ['not an object', [good], 'rule', 'rule must be a JSON object'],
    ['an unknown field', { ...good, owner: 'ops' }, 'owner', 'owner is not a known field'],
    [
      'id',
      { ...good, id: 'CPU High' },
      'id',
      'id must be a string of 1 to 64 characters matching ^[a-z0-9][a-z0-9._-]{0,63}$',
    ],
    ['name', { ...good, name: '' }, 'name', 'name must be a string of 1 to 200 characters'],
    [
      'type',
      { ...good, type: 'System' },
      'type',
      'type must be a string of 1 to 32 characters matching ^[a-z][a-z0-9_-]*$',
    ],
    ['severity', { ...good, severity: 'urgent' }, 'severity', 'severity must be one of critical, high, medium, low'],
    ['query', { ...good, query: 'cpu > 80' }, 'query', 'query must be an object'],
    [
      'query.metric',
      { ...good, query: { ...good.query, metric: 'Gauge' } },
      'query.metric',
      'query.metric must be a string of 1 to 32 characters matching ^[a-z][a-z_.]*$',
    ],
    [
      'query.aggregation',
      { ...good, query: { ...good.query, aggregation: 'median' } },
      'query.aggregation',
      'query.aggregation must be one of avg, max, min, p95, rate, ratio',
    ],
    [
      'query.windowMillis',
      { ...good, query: { ...good.query, windowMillis: 59_999 } },
      'query.windowMillis',
      'query.windowMillis must be an integer from 60000 to 86400000',
    ],
    [
      'an unknown filter',
      { ...good, query: { ...good.query, host: 'web-1' } },
      'query.host',
      'query.host is not a known field',
    ],
    [
      'an empty filter list',
      { ...good, query: { ...good.query, name: [] } },
      'query.name',
      'query.name must list 1 to 32 values',
    ],
    [
      'a filter list item',
      { ...good, query: { ...good.query, service: ['api', 7] } },
      'query.service[1]',
      'query.service[1] must be a string of 1 to 256 characters',
    ],
    [
      'ratio without numerator',
      { ...good, query: { metric: 'api', aggregation: 'ratio' } },
      'query.numerator',
      'query.numerator is required for the ratio aggregation',
    ],
    [
      'numerator without ratio',
      { ...good, query: { ...good.query, numerator: { name: 'x' } } },
      'query.numerator',
      'query.numerator is only allowed with the ratio aggregation',
    ],
    [
      'an unknown numerator filter',
      { ...good, query: { ...ratio, numerator: { code: 500 } } },
      'query.numerator.code',
      'query.numerator.code is not a known field',
    ],
    [
      'query.ratioOf',
      { ...good, query: { ...ratio, ratioOf: 'max' } },
      'query.ratioOf',
      'query.ratioOf must be one of count, sum',
    ],
    [
      'query.minCount',
      { ...good, query: { ...good.query, minCount: -1 } },
      'query.minCount',
      'query.minCount must be an integer from 0 to 1000000000',
    ],
    ['comparator', { ...good, comparator: '=>' }, 'comparator', 'comparator must be one of >, >=, <, <=, ==, !='],
    ['threshold', { ...good, threshold: '80' }, 'threshold', 'threshold must be a finite number'],
    [
      'an infinite threshold',
      { ...good, threshold: Number.POSITIVE_INFINITY },
      'threshold',
      'threshold must be a finite number',
    ],
    [
      'resolveThreshold',
      { ...good, resolveThreshold: null },
      'resolveThreshold',
      'resolveThreshold must be a finite number',
    ],
    [
      'a resolve threshold above a > threshold',
      { ...good, resolveThreshold: 80.5 },
      'resolveThreshold',
      'resolveThreshold must be on the healthy side of the threshold (80)',
    ],
    [
      'a resolve threshold below a < threshold',
      { ...good, comparator: '<', threshold: 70, resolveThreshold: 69 },
      'resolveThreshold',
      'resolveThreshold must be on the healthy side of the threshold (70)',
    ],
    ['forMillis', { ...good, forMillis: 1.5 }, 'forMillis', 'forMillis must be an integer from 0 to 86400000'],
    ['labels', { ...good, labels: ['a'] }, 'labels', 'labels must be an object of strings'],
    ['a label name', { ...good, labels: { '1host': 'x' } }, 'labels.1host', 'labels.1host is not a valid label name'],
    [
      'a label value',
      { ...good, labels: { host: 3 } },
      'labels.host',
      'labels.host must be a string of 1 to 256 characters',
    ],
    [
      'too many labels',
      { ...good, labels: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`l${i}`, 'x'])) },
      'labels',
      'labels must have at most 16 entries',
    ],
    ['enabled', { ...good, enabled: 'yes' }, 'enabled', 'enabled must be true or false'],
  ];
  for (const [what, raw, field, message] of cases) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(refusal(raw)).toEqual([field, message]);
    });
  }

  it('accepts the resolve threshold on the threshold itself and on the healthy side', () => {
    expect(validateRule({ ...good, resolveThreshold: 80 }).resolveThreshold).toBe(80);
    expect(validateRule({ ...good, resolveThreshold: 75 }).resolveThreshold).toBe(75);
    expect(validateRule({ ...good, comparator: '<', threshold: 70, resolveThreshold: 75 }).resolveThreshold).toBe(75);
    // Two-sided comparators have no healthy side to check.
    expect(validateRule({ ...good, comparator: '==', threshold: 0, resolveThreshold: 3 }).resolveThreshold).toBe(3);
  });

  it('names the config setting of a bad rule in the config file', () => {
    let error: unknown;
    try {
      parseAlertingConfig({ rules: [good, { ...good, id: 'b', query: { ...good.query, windowMillis: 1 } }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AlertingConfigInvalid);
    expect([(error as AlertingConfigInvalid).setting, (error as Error).message]).toEqual([
      'alerting.rules[1].query.windowMillis',
      'must be an integer from 60000 to 86400000',
    ]);
  });
});
