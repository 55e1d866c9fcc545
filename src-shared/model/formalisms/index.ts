export { ConstraintParseError, UnknownFormalismError } from './errors';
export {
  GUARANTEES,
  GUARANTEE_WORDS,
  GUARANTEE_IMPLICATIONS,
  GuaranteesConstraint,
  guaranteeClosure,
  guaranteesFormalism,
  isGuaranteeWord,
  parseGuarantees,
} from './guarantees';
export type { GuaranteeWord } from './guarantees';
export { COUNT, CountConstraint, countFormalism, parseCount } from './count';
export {
  BUILTIN_FORMALISMS,
  FormalismRegistry,
  createFormalismRegistry,
  defaultFormalismRegistry,
} from './registry';
