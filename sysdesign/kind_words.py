"""`sysdesign import`: the words and shapes in a sketch that suggest a component's kind.

Data only, beside the taxonomy (`sysdesign.taxonomy` names the kinds; `kind_figures` holds their
plausible figures); every name on the left is a kind from the taxonomy (a test checks it).
"""

from __future__ import annotations

SKETCH_WORDS: tuple[tuple[str, str], ...] = (
    ("audit_log", r"\baudit( log| trail)?"),
    ("rate_limiter", r"\brate[ -]?limit|\bthrottl|\bquota"),
    ("load_balancer", r"\b(lb|load[ -]?balanc\w*|elb|alb|nlb|haproxy)\b"),
    ("api_gateway", r"\b(gateway|api[ -]?gw|apigw|envoy|kong)\b"),
    ("secrets_store", r"\b(secrets?|vault|kms)\b"),
    ("safety_filter", r"\b(guard\w*|safety|moderation|content filter|pii)\b"),
    ("human_review", r"\b(human|review\w*|moderators?)\b"),
    ("sandbox", r"\b(sandbox\w*|firecracker|gvisor)\b"),
    (
        "vector_index",
        r"\b(vector( db| store| index| database)?|faiss|pinecone|hnsw|ann|milvus|qdrant)\b",
    ),
    ("search_index", r"\b(search index|inverted index|elastic\w*|opensearch|solr|lucene|bm25)\b"),
    ("embedding_model", r"\bembed\w*"),
    ("model_store", r"\bmodel (registry|store)\b"),
    ("feature_store", r"\bfeature store\b"),
    ("graph_store", r"\b(graph (db|store|database)|neo4j)\b"),
    ("llm", r"\b(llm|gpt\w*|claude|gemini|language model|vllm|generator|reranker)\b"),
    ("ml_model", r"\b(classifier|ranker|ml model|model)\b"),
    ("cdn", r"\b(cdn|cloudfront|akamai|fastly)\b"),
    ("dns", r"\b(dns|route ?53)\b"),
    ("auth", r"\b(auth\w*|oauth|login|identity|idp|keycloak|sso)\b"),
    ("client", r"\b(users?|clients?|browsers?|mobile|customers?|publishers?|callers?)\b"),
    ("ui", r"\b(ui|frontend|front end|web app|dashboard)\b"),
    ("scheduler", r"\b(scheduler|cron|crawler)\b"),
    ("stream", r"\b(kafka|streams?|kinesis|pulsar|event bus|events|pub ?sub)\b"),
    ("queue", r"\b(queues?|sqs|rabbit\w*)\b"),
    ("cache", r"\b(cache\w*|redis|memcache\w*)\b"),
    ("object_store", r"\b(s3|blob\w*|object store|buckets?|gcs)\b"),
    ("warehouse", r"\b(warehouse|bigquery|snowflake|redshift|data lake)\b"),
    ("database", r"\b(db|database|postgres\w*|mysql|sql|dynamo\w*|cassandra|mongo\w*|spanner)\b"),
    ("metrics", r"\b(metrics|prometheus|grafana)\b"),
    ("tracing", r"\b(tracing|traces|jaeger|otel|opentelemetry)\b"),
    ("logging", r"\b(logs?|logging|loki)\b"),
    ("alerting", r"\b(alert\w*|pager\w*)\b"),
    ("worker", r"\b(workers?|consumers?|indexers?|processors?|jobs?|pipeline)\b"),
    ("service", r"\b(service|api|server|backend|app)\b"),
)
"""`sysdesign import`: words in a sketch's node name or label that suggest a kind. The match that
ends last wins (the head noun: "audit queue" is a queue), ties go to the earlier entry, and
`service` words count only when nothing else matches ("auth service" is auth)."""

SKETCH_SHAPES: dict[str, str] = {"cylinder": "database", "circle": "client"}
"""`sysdesign import`: Mermaid node shapes that suggest a kind when the name does not."""
