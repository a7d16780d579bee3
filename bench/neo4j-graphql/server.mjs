// The comparison server of innograph's benchmark: @neo4j/graphql 7 on Apollo
// Server 5 (standalone HTTP), over the same Neo4j database.
//
//   NEO4J_URI=bolt://127.0.0.1:7689 PORT=18081 node server.mjs
//
// It serves POST /graphql; GET /livez answers 200 once the schema is built.
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";
import { readFileSync } from "node:fs";

const uri = process.env.NEO4J_URI ?? "bolt://127.0.0.1:7689";
const port = Number(process.env.PORT ?? 18081);
const user = process.env.NEO4J_USER ?? "";
const auth = user ? neo4j.auth.basic(user, process.env.NEO4J_PASSWORD ?? "") : undefined;
// Same pool size as innograph's store (100).
const driver = neo4j.driver(uri, auth, { maxConnectionPoolSize: 100 });
await driver.verifyConnectivity();

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
const schema = await neoSchema.getSchema();

const server = new ApolloServer({ schema, introspection: true });
const { url } = await startStandaloneServer(server, {
  listen: { port, host: "127.0.0.1" },
  context: async () => ({ sessionConfig: { defaultAccessMode: "READ" } }),
});
console.log(`neo4j-graphql ready at ${url} (Neo4j ${uri})`);

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
