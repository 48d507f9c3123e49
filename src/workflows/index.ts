// The worker's workflow bundle entry: every workflow type the worker serves.
export { activityWorkflow } from './activity';
export { deliveryWorkflow } from './delivery';
export { digestWorkflow } from './digest';
export { reviewWorkflow, yearlyReviewWorkflow } from './review';
export { workflowHealthWorkflow } from './workflow-health';
