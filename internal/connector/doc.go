// Package connector is the domain of the chatbot connector: it hands out
// upload ids, accepts Dropzone submission notifications, and returns the
// stored secure links to the chatbot that asks for them.
//
// The package holds the service, its types and errors, and the narrow
// interfaces it needs from the outside world (Store, Publisher, Keys,
// Dropzone). It imports only the standard library; adapters import it.
package connector
