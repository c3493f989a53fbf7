#include "model/links.h"

namespace halo::model {

std::string workflow_web_url(std::string_view base_url, std::string_view slug,
                             int64_t pipeline_number, std::string_view workflow_id) {
  std::string out(base_url);
  out += "/pipelines/";
  out += slug;
  out += "/" + std::to_string(pipeline_number) + "/workflows/";
  out += workflow_id;
  return out;
}

std::string job_web_url(std::string_view base_url, std::string_view slug, int64_t pipeline_number,
                        std::string_view workflow_id, int64_t job_number) {
  return workflow_web_url(base_url, slug, pipeline_number, workflow_id) + "/jobs/" +
         std::to_string(job_number);
}

}  // namespace halo::model
