/**
 * @sotto/otr/testing: helpers for tests, benchmarks and fuzzers, kept out of
 * the main entry point so that no host reaches for them by accident.
 * Never use these in a real conversation.
 */
export { OutcomeBuilder } from './outcome.js';
export { deterministicRandom } from './crypto/index.js';
export { trackSecrets } from './crypto/secret.js';
export { internalConversationOf } from './session/account.js';
