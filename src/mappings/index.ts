// Public API of the mapping engine: see README.md for the expression language.
export { compileExpr, compiledCacheSize } from './compile-expr.ts';
export type { CompileOptions, Evaluator, MappingContext, Scope } from './compile-expr.ts';
export { compileMapping } from './compile-mapping.ts';
export type { CompiledMapping, MappingResult, MappingWarning } from './compile-mapping.ts';
export { MappingSyntaxError } from './errors.ts';
export type { FunctionSpec, MappingFunction } from './functions.ts';
export { BUILTINS } from './functions.ts';
export { mergeMappings } from './merge.ts';
export type { MappingOverride } from './merge.ts';
export { parseExpr } from './parser.ts';
export type { Node as ExprNode, Step } from './parser.ts';
export { sourceFields } from './source-fields.ts';
export type { FunctionReads, SourceFields } from './source-fields.ts';
export { isEachMapping, validateMapping } from './validate.ts';
export type { MappingProblem } from './validate.ts';
export type { EachMapping, EntityMapping, Expr } from './types.ts';
