/**
 * @supabase/auth-js 2.119 in Chromium, at its real hostnames over TLS: the flows of test/tls/flows/supabase.ts (the same table the Firefox test
 * reads), each checked on the tab's report and, where the table says, on the popup.
 */
import { test } from '@playwright/test';
import { runChromiumFlow } from '../tls/chromium-run.js';
import { SUPABASE_FLOWS } from '../tls/flows/supabase.js';

for (const flow of SUPABASE_FLOWS) test(flow.title, () => runChromiumFlow(flow));
