import type { Rule } from './framework';
import { rules as pairing } from './pairing';
import { rules as ordering } from './ordering';
import { rules as device } from './device';
import { litmusRules } from '../litmus/rule';

/** Every rule mmlens knows, by group: pairing (emulator, issue 4), ordering (barriers/lockdep), device (notifier owners, pages). */
export const allRules: Rule[] = [...pairing, ...ordering, ...device, ...(litmusRules as Rule[])];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
