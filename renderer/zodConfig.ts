import { config } from 'zod';

// Imported first by main.tsx, before any schema exists: zod decides per schema, when it
// is created, whether to compile a fast parser with `new Function`. The page's CSP
// forbids eval, and even zod's guarded probe would be reported as a CSP violation.
config({ jitless: true });
