// Package tools describes the connector's agent tools once, in one table
// (All): their names, descriptions, input and output JSON Schemas as Go
// values, and the call each makes on the connector service. The MCP
// server, the /tools/* routes, Bedrock Agents, AgentCore Gateway and every
// OpenAPI file in docs/ derive from that table, so they cannot drift apart;
// one Runner, built once, runs the tools for all of them and returns what
// each caller logs. It also holds the request decoding the tools share with
// the chatbot API's actions (DecodeObject, Generate, ReadLinks).
//
// It imports only the domain, internal/connector: the edges that run the
// tools import it, and it imports none of them.
package tools
