/**
 * Real-data gate: mmlens on each real Linux file of ../shared/linux-corpus (as
 * `mmlens check FILE` reads it) gives no warning/error that test/corpus/JUDGED.md
 * does not list, and every listed one is still given. Skips, saying so, when the
 * corpus is absent. `npm run judge` prints the lines to add or remove.
 */
import { gate } from './gate';

gate('linux-corpus');
