/**
 * What the defect sweep's driver (self-test/sweep.ts), its Playwright
 * configuration and its reporter share: where the deployments are listed and
 * where the per-deployment results go.
 */
import type { DeploymentOption } from '../fixtures/target.ts';

/** A JSON file listing the deployments of one sweep run. */
export const SWEEP_TARGETS_ENV = 'SWEEP_TARGETS';
/** The folder the sweep reporter writes one `<name>.json` into per deployment. */
export const SWEEP_RESULTS_ENV = 'SWEEP_RESULTS';

export interface SweepTarget extends DeploymentOption {
  /** The defect's name: also the name of its HTTP project, and of its results file. */
  name: string;
}
