/**
 * @supabase/auth-js 2.119 in Firefox ESR at its real hostnames over TLS (the sites on 127.0.0.1:443): the flows of test/tls/flows/supabase.ts,
 * the same table test/e2e/supabase-tls.spec.ts reads. Run under `flock /tmp/tokenscope-443.lock`.
 */
import { describe, test } from 'node:test';
import { runFirefoxFlow } from '../tls/firefox-run.js';
import { SUPABASE_FLOWS } from '../tls/flows/supabase.js';

describe('Firefox: Supabase over TLS', () => {
  for (const flow of SUPABASE_FLOWS) test(flow.title, () => runFirefoxFlow(flow));
});
