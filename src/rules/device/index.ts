import type { Rule } from '../framework';
import { notifierMissingOwner } from './notifier-missing-owner';
import { notifierUnfilteredInvalidation } from './notifier-unfiltered-invalidation';
import { notifierCallbackIgnoresOwner } from './notifier-callback-ignores-owner';
import { pageTailMapping } from './page-tail-mapping';
import { notifierOwnerUnstable } from './notifier-owner-unstable';

/** Rules of this group, in the order they run: notifier owners (device exclusive access, migration) and compound pages. */
export const rules: Rule[] = [notifierMissingOwner, notifierUnfilteredInvalidation, notifierCallbackIgnoresOwner, pageTailMapping, notifierOwnerUnstable] as Rule[];
