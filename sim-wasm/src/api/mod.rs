//! Typed API objects (Namespace, Node, Pod, Deployment, ReplicaSet, Service, Endpoints,
//! EndpointSlice, Event, ConfigMap) and their validation with the API server's messages.
