/**
 * sotto with sotto through the driver contract over OTR version 4: the same
 * scenarios as against the references. The only live OTRv4 peer, otr4j, is
 * packaged neither for Debian nor on npm, so v4 is checked here end to end
 * against sotto itself; the library's pair and adversarial tests cover the
 * protocol in depth.
 */
import { sotto } from './peers.js';
import { interopScenarios } from './scenarios.js';

interopScenarios(sotto, sotto, 4);
