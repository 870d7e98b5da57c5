/** sotto against python-potr 1.0.2 (Debian python3-potr), OTR version 2, in both roles. */
import { potr, sotto } from './peers.js';
import { interopScenarios } from './scenarios.js';

interopScenarios(sotto, potr, 2);
interopScenarios(potr, sotto, 2);
