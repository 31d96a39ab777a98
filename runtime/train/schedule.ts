/**
 * Learning-rate schedules and an Adam whose learning rate can follow one.
 *
 * The paper's appendix decays the learning rate by 0.5 every 35 of 100
 * epochs; `stepDecay` is that schedule in steps, so a run given in steps or
 * in epochs decays at the same fraction of its length.
 */
import { FigsAdam } from "../kernels/adam.js";

export interface StepDecay {
  readonly initial: number;
  /** Multiply by `rate` every `every` steps (paper: 0.5 every 35% of the run). */
  readonly rate: number;
  readonly every: number;
}

export function stepDecay(initial: number, totalSteps: number): StepDecay {
  return { initial, rate: 0.5, every: Math.max(1, Math.round(totalSteps * 0.35)) };
}

export function learningRateAt(schedule: StepDecay, step: number): number {
  return schedule.initial * schedule.rate ** Math.floor(step / schedule.every);
}

/**
 * The Adam of search and retrain: figs's fused Adam (one kernel per variable on
 * wasm, tfjs's AdamOptimizer elsewhere, same state and serialisation) whose
 * learning rate the schedule sets between steps. tfjs keeps it in a protected
 * field; a subclass is the typed way to change it.
 */
export class ScheduledAdam extends FigsAdam {
  setLearningRate(rate: number): void {
    this.learningRate = rate;
  }
}

export function scheduledAdam(learningRate: number, epsilon = 1e-7): ScheduledAdam {
  return new ScheduledAdam(learningRate, 0.9, 0.999, epsilon);
}
