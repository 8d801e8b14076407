/// Follows the parent's decision when there is a parent, and a root sampler otherwise
/// (`parentbased_*`), with the five delegates of the OpenTelemetry specification.
public struct ParentBasedSampler: Sampler {
    /// For spans without a parent.
    public let root: any Sampler
    /// For a remote parent that was sampled. Default: always on.
    public let remoteParentSampled: any Sampler
    /// For a remote parent that was not sampled. Default: always off.
    public let remoteParentNotSampled: any Sampler
    /// For a local parent that was sampled. Default: always on.
    public let localParentSampled: any Sampler
    /// For a local parent that was not sampled. Default: always off.
    public let localParentNotSampled: any Sampler

    /// Creates a parent-based sampler; each delegate defaults as the specification says.
    public init(
        root: any Sampler,
        remoteParentSampled: any Sampler = AlwaysOnSampler(),
        remoteParentNotSampled: any Sampler = AlwaysOffSampler(),
        localParentSampled: any Sampler = AlwaysOnSampler(),
        localParentNotSampled: any Sampler = AlwaysOffSampler()
    ) {
        self.root = root
        self.remoteParentSampled = remoteParentSampled
        self.remoteParentNotSampled = remoteParentNotSampled
        self.localParentSampled = localParentSampled
        self.localParentNotSampled = localParentNotSampled
    }

    public func shouldSample(_ parameters: SamplingParameters) -> SamplingResult {
        guard let parent = parameters.parent, parent.isValid else {
            return root.shouldSample(parameters)
        }
        let delegate: any Sampler =
            switch (parent.isRemote, parent.isSampled) {
            case (true, true): remoteParentSampled
            case (true, false): remoteParentNotSampled
            case (false, true): localParentSampled
            case (false, false): localParentNotSampled
            }
        return delegate.shouldSample(parameters)
    }

    public var description: String {
        "ParentBased{root=\(root.description),remoteParentSampled=\(remoteParentSampled.description),"
            + "remoteParentNotSampled=\(remoteParentNotSampled.description),"
            + "localParentSampled=\(localParentSampled.description),"
            + "localParentNotSampled=\(localParentNotSampled.description)}"
    }
}
