/**
 * The reference peers against each other, before sotto takes either role:
 * libotr with libotr over v3, libotr with python-potr over v2 in both roles.
 * A failure here is in a wrapper (or a reference), not in sotto.
 */
import { libotr, potr } from './peers.js';
import { interopScenarios } from './scenarios.js';

interopScenarios(libotr, libotr, 3);
interopScenarios(libotr, potr, 2);
interopScenarios(potr, libotr, 2);
