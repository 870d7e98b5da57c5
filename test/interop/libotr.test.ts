/** sotto against libotr 4.1.1 (Debian libotr5-dev), in both roles. */
import { libotr, sotto } from './peers.js';
import { interopScenarios } from './scenarios.js';

interopScenarios(sotto, libotr, 3);
interopScenarios(libotr, sotto, 3);
interopScenarios(sotto, libotr, 2);
