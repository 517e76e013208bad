/**
 * Real-data gate: mmlens on each mail of ../shared/mail-corpus (the .eml files and
 * bugs/*.patch) gives no warning/error that test/corpus/JUDGED.md does not list,
 * and every listed one is still given. Skips, saying so, when the corpus is absent.
 */
import { gate } from './gate';

gate('mail-corpus');
