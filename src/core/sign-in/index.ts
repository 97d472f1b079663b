/** The sign-in model: front-channel steps read and paired, exchanges joined to them, each sign-in reported with its flow findings. */
export { signInStepsFromHar } from './har.js';
export { type RequestedAtAuthorization, SignInJoiner, type TokenRequestFacts } from './join.js';
export { signInReports } from './reports.js';
export { readFrontChannel } from './steps.js';
export type * from './types.js';
