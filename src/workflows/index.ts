// The worker's workflow bundle entry: every workflow type the worker serves.
export { smokeWorkflow } from './smoke';
