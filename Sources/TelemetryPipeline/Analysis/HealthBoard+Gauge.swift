extension HealthBoard {
    /// Rewrites `service_health_status` from an evaluated picture in one update, so services
    /// that left the board leave the gauge, and the overflow entry is the family's
    /// `{otel_metric_overflow="true"}` series rather than a service called by that name.
    static func publish(_ picture: [ServiceHealth], to gauge: MetricFamily, now: UInt64) {
        gauge.update(now: now) { updater in
            updater.removeAll()
            for health in picture {
                if health.isOverflow {
                    updater.setOverflow(health.status.gaugeValue)
                } else {
                    updater.set(health.status.gaugeValue, [health.service])
                }
            }
        }
    }
}
