/// Square loss L = (1/N) Σ_n Σ_k (ŷ_nk − y_nk)² over prediction [N, K] and target [N, K];
/// returns L and dL/dŷ = (2/N)(ŷ − y).
public func squareLoss(prediction: Tensor, target: Tensor) -> (loss: Float, gradient: Tensor) {
    precondition(prediction.shape == target.shape && prediction.rank >= 1,
                 "square loss: prediction \(prediction.shape), target \(target.shape)")
    let n = Float(prediction.shape[0])
    var loss: Double = 0
    var gradient = Tensor(zeros: prediction.shape)
    for i in prediction.data.indices {
        let d = prediction.data[i] - target.data[i]
        loss += Double(d * d)
        gradient.data[i] = 2 * d / n
    }
    return (Float(loss / Double(n)), gradient)
}
