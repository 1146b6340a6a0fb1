// Label and field selectors: parsing the query-string syntax, converting metav1 LabelSelector
// objects, and matching objects against either. Used by list/watch filtering, the watch cache
// and every controller that owns objects by selector.
export {
  everything,
  nothing,
  requirement,
  selectorFromRequirements,
  selectorFromSet,
  labelSelectorAsSelector,
  labelSelectorOrEverything,
  formatLabelSelector,
  formatLabels,
  type LabelOperator,
  type Labels,
  type Requirement,
  type Selector,
  type LabelSelectorObject,
} from './labels.js';
export { parseLabelSelector } from './label-parser.js';
export {
  parseFieldSelector,
  fieldSelectorFromRequirements,
  everyField,
  escapeFieldValue,
  unescapeFieldValue,
  type FieldRequirement,
  type FieldSelector,
  type Fields,
} from './fields.js';
