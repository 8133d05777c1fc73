/// One item a subscriber receives.
///
/// `.alert` carries the tenant's sequence number (from 1, contiguous across priorities, so a
/// subscriber filtering on priority sees holes in the numbers: those are not gaps).
/// `.gap` says the alerts `first...last` can no longer be delivered: they were raised and then
/// pushed out of the tenant's bounded buffer before this subscriber read them (a resume from too
/// far back, or a subscriber that read too slowly). Some of them may be below the subscriber's
/// priority; the hub cannot know, because they are gone.
public enum AlertDelivery<Payload: Sendable>: Sendable {
    case alert(sequence: UInt64, priority: Int, payload: Payload)
    case gap(first: UInt64, last: UInt64)
}

extension AlertDelivery: Equatable where Payload: Equatable {}
