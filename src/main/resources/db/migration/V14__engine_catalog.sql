-- The engines worker nodes have loaded, with their versions and voices, so an API-only node can
-- resolve voices and make content keys without loading any engine. Each worker writes the engines
-- it has when it starts and refreshes published_at while it runs; readers ignore engines nobody has
-- refreshed for a while (uninstalled everywhere).
CREATE TABLE engine_catalog (
    engine        text PRIMARY KEY,
    version       text NOT NULL,
    voices        jsonb NOT NULL,
    published_at  timestamptz NOT NULL,
    published_by  text NOT NULL
);
