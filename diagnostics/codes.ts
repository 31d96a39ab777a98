/**
 * Every diagnostic code figs can report, compiler, runtime and command line,
 * in one table.
 * FIGS1xxx: lexing and parsing. FIGS2xxx: names, types and evaluation.
 * FIGS3xxx: shapes and masks (35xx: IR, widths and JSON files).
 * FIGS4xxx: limits and resources. FIGS5xxx: training (data, memory, backend, targets).
 * FIGS6xxx: the command line (commands, options, arguments).
 * FIGS7xxx: run folders (locks, replacing, resuming, the files a run records).
 * FIGS9xxx: files and internal.
 * A code is never reused for another meaning; `test/diagnostics/codes.test.ts`
 * checks that each is defined once and reported somewhere.
 */
export const DiagnosticCodes = {
  // --- lexing ---
  UnexpectedCharacter: { code: "FIGS1001", summary: "a character that cannot start any token" },
  UnterminatedComment: { code: "FIGS1002", summary: "a block comment without its closing */" },
  UnterminatedString: { code: "FIGS1003", summary: "a string without its closing quote" },
  InvalidNumber: { code: "FIGS1004", summary: "a malformed number literal" },
  BinaryInput: { code: "FIGS1005", summary: "the file holds binary data, not text" },
  InvalidEncoding: { code: "FIGS1006", summary: "the file is not valid UTF-8" },
  // --- parsing ---
  UnexpectedToken: { code: "FIGS1101", summary: "a token the grammar does not allow here" },
  MissingClosingDelimiter: { code: "FIGS1102", summary: "a bracket, parenthesis or brace that is never closed" },
  UnexpectedEndOfFile: { code: "FIGS1103", summary: "the file ends in the middle of a construct" },
  ExpectedExpression: { code: "FIGS1105", summary: "a value was expected" },
  NestingTooDeep: { code: "FIGS1107", summary: "brackets or bodies nested deeper than the parser allows" },
  ExpressionTooLong: { code: "FIGS1108", summary: "an expression with more operators than the parser allows" },
  ChainedComparison: { code: "FIGS1109", summary: "comparisons like a < b < c, which are ambiguous" },
  DuplicateParameter: { code: "FIGS1110", summary: "two parameters of one definition with the same name" },
  PositionalAfterNamed: { code: "FIGS1111", summary: "a positional argument after a named one" },
  InvalidAggregator: { code: "FIGS1112", summary: "an aggregate clause without an aggregator" },
  // --- names, types and evaluation ---
  UnknownName: { code: "FIGS2001", summary: "a name that is not defined anywhere visible" },
  DuplicateDefinition: { code: "FIGS2002", summary: "two definitions or top-level constants with the same name" },
  ImportCycle: { code: "FIGS2003", summary: "files that import each other in a cycle" },
  ImportNotFound: { code: "FIGS2004", summary: "an imported file that cannot be read" },
  NoSpace: { code: "FIGS2005", summary: "no space to elaborate" },
  AmbiguousSpace: { code: "FIGS2006", summary: "several spaces and none chosen" },
  UnknownType: { code: "FIGS2007", summary: "a parameter type that does not exist" },
  InvalidOverride: { code: "FIGS2008", summary: "a --set override for an unknown parameter" },
  TooManyArguments: { code: "FIGS2010", summary: "more positional arguments than parameters" },
  UnknownArgument: { code: "FIGS2011", summary: "a named argument that is not a parameter" },
  DuplicateArgument: { code: "FIGS2012", summary: "one parameter given twice" },
  MissingArgument: { code: "FIGS2013", summary: "a parameter without a default that is not given" },
  TypeMismatch: { code: "FIGS2014", summary: "a value of the wrong type" },
  InvalidValue: { code: "FIGS2015", summary: "a value outside what an op or function accepts" },
  DivisionByZero: { code: "FIGS2016", summary: "division or modulo by zero" },
  IndexOutOfRange: { code: "FIGS2017", summary: "a list index past either end" },
  NotATensor: { code: "FIGS2018", summary: "a compile-time value where a tensor is needed" },
  NoCurrentTensor: { code: "FIGS2019", summary: "'in' or an op where no tensor flows" },
  SpaceWithoutInput: { code: "FIGS2020", summary: "a space that never creates its input(h, w, c)" },
  UndeclaredAssignment: { code: "FIGS2021", summary: "an assignment to a name no 'let' declared" },
  SpaceCall: { code: "FIGS2022", summary: "a space called from another definition" },
  NotCallable: { code: "FIGS2023", summary: "a value called like a function" },
  DuplicateLabel: { code: "FIGS2024", summary: "one 'as' name given to two steps of one scope" },
  LabelWithoutNode: { code: "FIGS2025", summary: "'as' on a step that creates no node" },
  NothingToAggregate: { code: "FIGS2026", summary: "branches, concat or add without any tensor" },
  NumberOutOfRange: { code: "FIGS2027", summary: "a number too large to compute with exactly" },
  SpaceError: { code: "FIGS2029", summary: 'an error a space reports itself, with error("message")' },
  ReturnOutsideFunction: { code: "FIGS2030", summary: "'return' in an op, block, cell or space body" },
  MissingReturn: { code: "FIGS2031", summary: "a function that ends without 'return', or without its result type" },
  GateOnEveryPath: {
    code: "FIGS2032",
    summary: "a warning: an operator gate on every path from the input to the output (closing it would leave nothing)",
  },
  DeadTensor: {
    code: "FIGS2028",
    summary: "a warning: a tensor that reaches no output of the space (dropped, so it costs nothing)",
  },
  // --- shapes ---
  WidthMismatch: { code: "FIGS3001", summary: "tensors of different channel counts added together" },
  SpatialMismatch: { code: "FIGS3002", summary: "tensors of different heights or widths added or concatenated" },
  ZeroSpatialSize: { code: "FIGS3003", summary: "an op that shrinks the height or width to zero" },
  GroupsMismatch: { code: "FIGS3004", summary: "a grouped conv whose channels do not divide into its groups" },
  DenseNeedsFlat: { code: "FIGS3005", summary: "dense applied to a tensor larger than 1x1" },
  DilatedStride: {
    code: "FIGS3008",
    summary: "a conv or dwconv with both a stride and a dilation above 1 (tfjs computes neither)",
  },
  ChannelPartsMismatch: {
    code: "FIGS3009",
    summary: "a channel_shuffle or split whose channels do not divide into its groups or parts",
  },
  // --- limits ---
  TooManyNodes: { code: "FIGS4001", summary: "more primitive nodes than the compiler allows" },
  RecursionTooDeep: { code: "FIGS4002", summary: "definitions calling each other too deep" },
  TooManySteps: { code: "FIGS4003", summary: "elaboration that runs too many statements" },
  ListTooLong: { code: "FIGS4004", summary: "a list, range or string with too many elements" },
  ListTooDeep: { code: "FIGS4007", summary: "lists nested inside lists too deep" },
  NameTooLong: { code: "FIGS4008", summary: "a name longer than figs allows" },
  IrTooLarge: { code: "FIGS4009", summary: "an IR larger than figs writes or reads" },
  SourceTooLarge: { code: "FIGS4005", summary: "a source file, or a file with its imports, larger than figs reads" },
  TooManyChannelSlices: {
    code: "FIGS4006",
    summary: "tensors whose channels come from too many separate producer ranges",
  },
  // --- training (FIGS5xxx) ---
  TrainingDiverged: { code: "FIGS5001", summary: "a loss that became NaN or infinite during search or retraining" },
  DataDoesNotFitSpace: {
    code: "FIGS5002",
    summary: "data whose image shape or class count does not fit the space's input or logits",
  },
  TrainingTooLarge: {
    code: "FIGS5003",
    summary: "a search or retraining whose estimated memory exceeds what the machine or backend can hold",
  },
  TargetUnreachable: {
    code: "FIGS5004",
    summary: "a --target outside the costs of the space's connected architectures",
  },
  BackendUnavailable: { code: "FIGS5005", summary: "a --backend that does not exist or cannot start here" },
  TargetMissed: {
    code: "FIGS5006",
    summary: "an export whose cost lands outside --target's tolerance (a warning: the closest one is written)",
  },
  TooFewImages: { code: "FIGS5007", summary: "a training set smaller than one batch" },
  NothingSearchable: {
    code: "FIGS5008",
    summary: "a warning: a space without searchable channel groups, so a search trains its weights only",
  },
  // --- the command line (FIGS6xxx) ---
  UnknownCommand: { code: "FIGS6001", summary: "a command figs does not have" },
  UnknownOption: { code: "FIGS6002", summary: "an option the command does not have, or one without its value" },
  InvalidOption: {
    code: "FIGS6003",
    summary: "an option or argument whose value is outside what it accepts (--batch 0, --by foo, --set x)",
  },
  MissingOperand: { code: "FIGS6004", summary: "a file, folder or required option that is not given" },
  ConflictingOptions: {
    code: "FIGS6005",
    summary: "options that cannot go together (--lambda and --target, new settings with --resume)",
  },
  // --- run folders (FIGS7xxx) ---
  FolderBusy: { code: "FIGS7001", summary: "a folder another figs process is writing (it holds the folder's lock)" },
  OutputExists: { code: "FIGS7002", summary: "an output folder that exists, without --force (or --resume)" },
  NotReplaceable: {
    code: "FIGS7003",
    summary: "--force on a folder figs did not make, of another kind, or holding what the run reads",
  },
  NotARun: {
    code: "FIGS7004",
    summary: "--resume or an export of a folder that is not such a figs run, or has no checkpoint yet",
  },
  InvalidRunFile: {
    code: "FIGS7005",
    summary: "a run.json, retrain.json or result.json that is not what its schema requires",
  },
  SpaceChanged: {
    code: "FIGS7006",
    summary: "a run resumed, exported or retrained on a space whose text changed since it started",
  },
  StaleLockTakenOver: {
    code: "FIGS7007",
    summary: "a note: the lock of a process that no longer runs was taken over",
  },
  InvalidExperiment: {
    code: "FIGS7008",
    summary: "a sweep's experiment file that is not what its schema and rules require",
  },
  QueueUnreachable: {
    code: "FIGS7009",
    summary: "a sweep queue (--queue redis://…) whose Redis cannot be reached, or a bad queue URL",
  },
  QueueConnectionLost: {
    code: "FIGS7010",
    summary: "a note: the connection to the sweep queue's Redis was lost; figs waits for it to come back",
  },
  // --- files and internal ---
  FileNotFound: { code: "FIGS9001", summary: "a file that cannot be read" },
  CorruptDataFile: { code: "FIGS9002", summary: "a data file whose contents are not what its format requires" },
  CorruptCheckpoint: { code: "FIGS9003", summary: "a checkpoint that is incomplete, altered or from another run" },
  WriteFailed: { code: "FIGS9004", summary: "a file or folder that cannot be written" },
  InvalidArch: { code: "FIGS9005", summary: "an arch.json that fails its schema or belongs to another space" },
  InternalError: { code: "FIGS9999", summary: "a bug in figs" },
  // --- masks and costs ---
  MaskReplicationMismatch: {
    code: "FIGS3501",
    summary: "an add whose inputs repeat their channels differently (flatten, dwconv multiplier)",
  },
  MaskWidthMismatch: { code: "FIGS3502", summary: "an add whose inputs have different channel counts" },
  InvalidIr: { code: "FIGS3503", summary: "an IR file that does not match the IR schema" },
  UnsupportedIrVersion: { code: "FIGS3504", summary: "an IR file written by another version of figs" },
  InvalidWidths: { code: "FIGS3505", summary: "a widths file that does not fit the space's groups" },
  InvalidJson: { code: "FIGS3506", summary: "a file that is not valid JSON" },
  IrCostsDisagree: {
    code: "FIGS3507",
    summary: "an IR file whose stored costs are not its graph's (stale or edited by hand)",
  },
} as const;

export type DiagnosticKind = keyof typeof DiagnosticCodes;
export type DiagnosticCode = (typeof DiagnosticCodes)[DiagnosticKind]["code"];

export function codeOf(kind: DiagnosticKind): DiagnosticCode {
  return DiagnosticCodes[kind].code;
}
