package config

import "strings"

// needQueue lists the variables whose deliveries run through the delivery
// queue: on AWS, set without DELIVERY_QUEUE_URL, nothing would ever be
// delivered, so Load stops at start instead.
var needQueue = []string{CallbackURL, ConnectInstance}

// requireQueue records DELIVERY_QUEUE_URL as missing, naming what needs
// it, when queue is empty and a variable of needQueue is set. It is one
// problem, of the one variable to set, however many need it.
func (r *reader) requireQueue(queue string) {
	if queue != "" {
		return
	}
	var set []string
	for _, name := range needQueue {
		if r.get(name) != "" {
			set = append(set, name)
		}
	}
	switch len(set) {
	case 0:
	case 1:
		r.fail(DeliveryQueueURL, "is required when %s is set (deliveries run through the queue; the template sets it)", set[0])
	default:
		r.fail(DeliveryQueueURL, "is required when %s are set (deliveries run through the queue; the template sets it)",
			strings.Join(set[:len(set)-1], ", ")+" and "+set[len(set)-1])
	}
}
