// The worker's workflow bundle entry: every workflow type the worker serves.
export { activityWorkflow } from './activity';
export { benchFloorWorkflow } from './bench';
export { deliveryWorkflow } from './delivery';
export { smokeWorkflow } from './smoke';
export { digestWorkflow } from './digest';
export { reviewWorkflow, yearlyReviewWorkflow } from './review';
