import CASTControl
import PIControl

// Gating and updates. See include/ast_control.h for the contract.

/// Gates one batch, writes the selected indices, and updates the controller.
/// - Parameters:
///   - handle: The controller.
///   - scores: `n` scores (NULL allowed when `n == 0`).
///   - n: Batch size, `0 ... AST_CONTROL_MAX_BATCH`.
///   - outIndices: Room for `n` indices.
///   - outCount: Receives the number of indices written.
///   - outStep: Optional; receives what the batch did.
/// - Returns: `AST_CONTROL_OK` or an error status (the state is then untouched).
@_cdecl("ast_control_select")
public func astControlSelect(
    _ handle: OpaquePointer?, _ scores: UnsafePointer<Double>?, _ n: Int64,
    _ outIndices: UnsafeMutablePointer<Int64>?, _ outCount: UnsafeMutablePointer<Int64>?,
    _ outStep: UnsafeMutablePointer<ast_control_step>?
) -> Int32 {
    guard let handle else { return AST_CONTROL_ERROR_NULL_ARGUMENT }
    let control = ControlHandle.from(handle)
    guard n >= 0, n <= Int64(AST_CONTROL_MAX_BATCH) else {
        return control.fail(.invalidArgument("n must be in [0, \(AST_CONTROL_MAX_BATCH)], got \(n)"))
    }
    guard let outCount else { return control.fail(.nullArgument("out_count")) }
    let count = Int(n)
    var scoreBuffer = UnsafeBufferPointer<Double>(start: nil, count: 0)
    if count > 0 {
        guard let scores else { return control.fail(.nullArgument("scores")) }
        guard outIndices != nil else { return control.fail(.nullArgument("out_indices")) }
        scoreBuffer = UnsafeBufferPointer(start: scores, count: count)
    }
    if control.selected.capacity < count { control.selected.reserveCapacity(count) }
    let selection = control.controller.select(scores: scoreBuffer, into: &control.selected, using: &control.generator)
    if let outIndices {
        for (position, index) in control.selected.enumerated() { outIndices[position] = Int64(index) }
    }
    outCount.pointee = Int64(selection.selectedCount)
    outStep?.pointee = StepRecord.make(
        selection.step, controller: control.controller, gatingThreshold: selection.gatingThreshold,
        selected: selection.selectedCount, passed: selection.passedCount,
        rejected: selection.rejectedNonFiniteCount, batchSize: selection.batchSize, usedFallback: selection.usedFallback)
    return AST_CONTROL_OK
}

/// Feeds a measured batch rate (PIControl's `update(observedRate:)`).
/// - Parameters:
///   - handle: The controller.
///   - rate: The batch's activation rate; non-finite rates leave the state untouched.
///   - outStep: Optional; receives the update.
/// - Returns: `AST_CONTROL_OK` or `AST_CONTROL_ERROR_NULL_ARGUMENT`.
@_cdecl("ast_control_update_rate")
public func astControlUpdateRate(_ handle: OpaquePointer?, _ rate: Double, _ outStep: UnsafeMutablePointer<ast_control_step>?) -> Int32 {
    guard let handle else { return AST_CONTROL_ERROR_NULL_ARGUMENT }
    let control = ControlHandle.from(handle)
    let gating = control.controller.threshold
    let step = control.controller.update(observedRate: rate)
    outStep?.pointee = StepRecord.make(step, controller: control.controller, gatingThreshold: gating,
                                       selected: 0, passed: 0, rejected: 0, batchSize: 0, usedFallback: false)
    return AST_CONTROL_OK
}

/// Feeds a batch's counts (PIControl's `update(selectedCount:batchSize:)`).
/// - Parameters:
///   - handle: The controller.
///   - selected: Active samples (clamped to `[0, batchSize]`).
///   - batchSize: Samples in the batch; `<= 0` leaves the state untouched.
///   - outStep: Optional; receives the update.
/// - Returns: `AST_CONTROL_OK` or `AST_CONTROL_ERROR_NULL_ARGUMENT`.
@_cdecl("ast_control_update_counts")
public func astControlUpdateCounts(
    _ handle: OpaquePointer?, _ selected: Int64, _ batchSize: Int64, _ outStep: UnsafeMutablePointer<ast_control_step>?
) -> Int32 {
    guard let handle else { return AST_CONTROL_ERROR_NULL_ARGUMENT }
    let control = ControlHandle.from(handle)
    let gating = control.controller.threshold
    let size = batchSize > 0 ? Int(batchSize) : 0
    let step = control.controller.update(selectedCount: Int(selected), batchSize: size)
    let counted = step == nil ? 0 : min(size, max(0, Int(selected)))
    outStep?.pointee = StepRecord.make(step, controller: control.controller, gatingThreshold: gating,
                                       selected: counted, passed: counted, rejected: 0, batchSize: size, usedFallback: false)
    return AST_CONTROL_OK
}

/// The threshold that will gate the next batch.
/// - Parameters:
///   - handle: The controller.
///   - outThreshold: Receives the threshold.
/// - Returns: `AST_CONTROL_OK` or `AST_CONTROL_ERROR_NULL_ARGUMENT`.
@_cdecl("ast_control_threshold")
public func astControlThreshold(_ handle: OpaquePointer?, _ outThreshold: UnsafeMutablePointer<Double>?) -> Int32 {
    guard let handle else { return AST_CONTROL_ERROR_NULL_ARGUMENT }
    let control = ControlHandle.from(handle)
    guard let outThreshold else { return control.fail(.nullArgument("out_threshold")) }
    outThreshold.pointee = control.controller.threshold
    return AST_CONTROL_OK
}

/// Fills the C step record.
enum StepRecord {
    static func make(
        _ step: ControllerStep?, controller: Controller, gatingThreshold: Double, selected: Int, passed: Int,
        rejected: Int, batchSize: Int, usedFallback: Bool
    ) -> ast_control_step {
        let state = controller.state
        return ast_control_step(
            gating_threshold: gatingThreshold, next_threshold: step?.nextThreshold ?? state.threshold,
            observed_rate: step?.observedRate ?? 0, ema: step?.ema ?? state.ema, error: step?.error ?? 0,
            integral: step?.integral ?? state.integral, selected_count: Int64(selected), passed_count: Int64(passed),
            rejected_non_finite_count: Int64(rejected), batch_size: Int64(batchSize), updated: step == nil ? 0 : 1,
            saturated: (step?.saturated ?? false) ? 1 : 0, used_fallback: usedFallback ? 1 : 0, reserved: 0)
    }
}
