package memq

// Receipt describes a received message; get it with Message.As.
type Receipt struct {
	// Deliveries is how many times the message was received, this time
	// included: 1 on the first delivery.
	Deliveries int
}
